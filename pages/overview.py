"""Overview: headline figures for a year, which clusters exist when, and where the money went."""

from clusterpolicy import ui
from clusterpolicy.views import overview

ui.use_router()
overview.render()
