"""The floor plan of an event: hall, zones and booths on a metre grid, the editor, its SVG and its API."""
