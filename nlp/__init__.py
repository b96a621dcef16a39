"""Reading treatment notes: a spaCy pipeline (blank English plus notecode's own components)."""
