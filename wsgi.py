"""Entry point for production servers: `gunicorn wsgi:app`."""
from cop import create_app

app = create_app()
