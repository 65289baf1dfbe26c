"""The link /cluster on a server that has not yet called st.navigation: the same frame as dashboard.py.

Streamlit treats a pages/ folder beside the entry script in its legacy way until a session has
called st.navigation: a fresh server's first request for /cluster runs this file. It runs the
frame, whose st.navigation then serves the page with its sidebar, as on every later request.
The page itself is pages/body/cluster.py; see clusterpolicy/web/frame.py.
"""

from clusterpolicy.web import frame

frame.main()
