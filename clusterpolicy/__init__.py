"""Cluster-policy dashboard core, in layers: ``model`` (the scenario model), ``data`` (the DuckDB file, imports,
versions and the application's state), ``present`` (charts, tables, headlines, the document outline), ``render``
(the deck, the briefing, the workbook, HTML and CSV), and the Streamlit glue ``web`` and ``views``.

A module imports only its own layer and those before it; only ``web`` and ``views`` import Streamlit.
"""

__version__ = "0.1.0"
