"""Reports: the programme's monitoring report (semester report) and its XLSX export."""
