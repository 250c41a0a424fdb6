"""xktracker: which websites leave Kosovo out of their country selectors, with evidence."""
