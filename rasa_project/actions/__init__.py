"""Custom actions for Rasa's action server, one module per concern.

rasa_sdk imports every submodule of this package and registers each
``Action`` subclass by its ``name()``.
"""
