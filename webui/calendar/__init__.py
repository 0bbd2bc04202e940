"""The personal calendar feed (ICS) and the page that gives its address."""
