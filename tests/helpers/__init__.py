"""Helpers shared by several test modules (databases, files, logins); no tests here."""
