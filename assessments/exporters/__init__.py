"""Question export: a bank written in a format Moodle's own import reads
(`moodle_xml`), so a bank round-trips through Moodle and back."""
