"""Partnerships between organisations: add one from an organisation's page, view, edit."""
