"""Annotate -> Train from Corrections (issue 15): the project model, trained in the app."""
