"""What `make run` serves: the app (streamlit_app.py) plus the two same-origin HTTP routes that set
and clear the HttpOnly login cookie (dashboard/cookie_routes.py).

`streamlit run serve.py` finds `app` below and serves it with Streamlit's own server, taking the
same flags and .streamlit/config.toml as `streamlit run streamlit_app.py`; started that way
instead, the app works but a login does not survive a page reload (no route stores the cookie).
"""

import streamlit as st

from dashboard.cookie_routes import ROUTES

app = st.App("streamlit_app.py", routes=ROUTES)
