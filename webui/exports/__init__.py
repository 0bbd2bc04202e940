"""Downloads of the analysed network (GEXF, GraphML, CSV, JSON, XLSX) and their page."""
