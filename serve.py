"""What `make run` serves: the app (streamlit_app.py) plus the two same-origin HTTP routes that set
and clear the HttpOnly login cookie (dashboard/cookie_routes.py) and the health URL that also asks
the database (dashboard/health.py, /healthz).

`streamlit run serve.py` finds `app` below and serves it with Streamlit's own server, taking the
same flags and .streamlit/config.toml as `streamlit run streamlit_app.py`; started that way
instead, the app works but a login does not survive a page reload (no route stores the cookie).

The app routes every address itself (st.navigation in dashboard/app.py). Left alone, Streamlit
would serve the files in pages/ by address on its own until some browser has opened the app's
root: a shared link opened first after a restart would run the page without the router (no login
form in place, no menu). Telling Streamlit here, before the first browser connects, that the app
does not use the pages/ folder convention makes the router answer every address from the start.
"""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from dashboard import health, heap
from dashboard.cookie_routes import ROUTES

PagesManager.uses_pages_directory = False

app = st.App("streamlit_app.py", routes=[*ROUTES, *health.ROUTES])

# Load every module the pages use now, before the first browser waits for it, and leave them out of
# the garbage collector's full passes from here on.
heap.freeze_once()
