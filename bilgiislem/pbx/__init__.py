"""Telephone exchange (Asterisk) planned from the inventory, phone provisioning."""
