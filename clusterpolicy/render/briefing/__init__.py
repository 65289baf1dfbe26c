"""The PDF briefing of a view: A4 portrait, made on the server with ReportLab, no browser involved.

What a ministerial note is filed with: the page's title and the question it answers, the compared
scenarios and what differs between them, the headline figures, every chart of the view drawn as
vector graphics with its source line (and, where values are illustrative, the mark on the chart
itself), the full parameter list and the sources, with the data version, the date and the link
back on every page. Dutch or English, with Belgian number formats for Dutch.

Why ReportLab: its page layout (platypus) flows text, keeps a chart with its title, splits long
tables over pages with their header repeated, and makes links; it embeds TrueType fonts as
subsets; and it draws on a PDF canvas directly, so charts are vector paths with real, searchable
text. It needs no browser (kaleido, Plotly's own image export, drives Chrome) and no system fonts:
the font is Bitstream Vera, which ships inside ReportLab. The charts are drawn from the builder's
own record of what it plotted (``Chart.spec``), the same record the page's figure comes from.
"""

from clusterpolicy.render.briefing.document import to_pdf

__all__ = ["to_pdf"]
