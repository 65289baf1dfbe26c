"""The data layer: the DuckDB file and its queries, build and validation, imports and versions, reconciliation,
provenance, and the application's own state (audit trail, team library, short links, who may change what).

No Streamlit: the command line and the pages share every rule written here.
"""
