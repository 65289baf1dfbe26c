"""Cluster-policy dashboard core: data, scenario model, charts and exports, with no Streamlit import.

The one exception is ``clusterpolicy.ui``, the thin glue between this package and the pages.
"""

__version__ = "0.1.0"
