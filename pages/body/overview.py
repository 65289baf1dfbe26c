"""Overview: headline figures for a year, which clusters exist when, and where the money went."""

from clusterpolicy.views import overview

overview.render()
