"""Funding scenarios for the clusters' basic operation (VARIO advice 36, Recommendation 2)."""

from clusterpolicy.views import scenarios

scenarios.render()
