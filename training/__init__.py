"""Building notecode's intent model from the labelled data in `training/data/`."""
