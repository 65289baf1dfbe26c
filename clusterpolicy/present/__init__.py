"""What the reader sees, independent of the medium: chart builders per page, tables, headline figures,
the comparison above the scenario charts, a cluster's profile in words, and a view's state in its link.

No Streamlit and no file formats: the page (``web``, ``views``) and the files (``render``) both start here.
"""
