"""Entry point: `streamlit run dashboard.py`. The frame (sidebar, st.navigation over pages/) is clusterpolicy.web.frame."""

from clusterpolicy.web import frame

frame.main()
