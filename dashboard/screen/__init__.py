"""The lobby LED screen: presets, slides and the rotation (see pages/screen.py)."""
