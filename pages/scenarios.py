"""Funding scenarios for the clusters' basic operation (VARIO advice 36, Recommendation 2)."""

from clusterpolicy import ui
from clusterpolicy.views import scenarios

ui.use_router()
scenarios.render()
