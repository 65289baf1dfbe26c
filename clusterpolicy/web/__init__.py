"""The Streamlit glue, one module per job; the rest of the package never imports Streamlit.

- ``run``: the state of one script run (memo, charts, notices), the language, presenter flag
- ``data``: the served data version, kept queries and derived values, provenance lookups
- ``links``: the view's state in the URL, read once per session and written at the end of a run
- ``chartview``: drawing a chart with its source line and data table, kept tables
- ``presenter``: presenter mode (toggle, controls, the deck)
- ``export_panel``: "take this view with you": a file made on click then offered, a failure shown with a reference, the link
- ``editor``: the custom-scenario editor, a loop over ``paramspec.SPECS``
- ``datamgmt``: imports, templates and restore on the data page
- ``frame``: the frame around every page (config, sidebar, navigation, notices)
"""
