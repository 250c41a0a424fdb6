"""The spiders: ``countries`` checks every active target of the catalog."""
