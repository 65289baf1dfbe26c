"""Entry point: `streamlit run dashboard.py`. The frame and the router are in clusterpolicy.app, the pages in pages/."""

from clusterpolicy import app

app.main()
