"""Launcher: Streamlit puts only this file's folder on sys.path, so the app lives in dashboard/."""

from dashboard.app import main

main()
