"""The inventory: schema, loading and validation."""

from bilgiislem.inventory.issues import InventoryError, Issue
from bilgiislem.inventory.loader import Inventory, load

__all__ = ["Inventory", "InventoryError", "Issue", "load"]
