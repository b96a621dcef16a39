"""Reading treatment notes: a spaCy pipeline (blank English plus notecode's own components)."""

from nlp.compiled_reader import use_compiled_reader

use_compiled_reader(__path__)  # the optional compiled reader, only while it is built from these very sources
