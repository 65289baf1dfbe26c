"""The files a view becomes, one module or folder per format: the slide deck (``slides``), the PDF briefing
(``briefing``), the view's workbook, offline HTML and CSV (``report``), and the safe CSV and XLSX writers
under them (``spreadsheet``).

No Streamlit: a file is made from a view the page assembled.
"""
