"""The reporting schema's one ``MetaData`` and the kit's tables on it (``tables`` gathers the rest)."""

from hopekit.db.kit_tables import add_kit_tables
from hopekit.db.metadata import make_metadata

metadata = make_metadata()
kit = add_kit_tables(metadata)
