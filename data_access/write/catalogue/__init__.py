"""Administration writes for the catalogues (政务公开目录) and the annual publication targets.

Catalogues belong to units and years (data_access.store.catalogue): a unit uses its own, a
unit's above it, or the installation's default. The catalogue writes are:

- which scheme a unit uses per year (`schemes`): create one of its own (empty, a copy of the one
  it uses or of its parent's), adopt the parent's again, and a whole catalogue as a 标准目录
  spreadsheet — its items, the preview of an import, the import and the export;
- its entries (`entries`): add one, rename it from a year (names by year, so the years before a
  change keep their figures and reports), retire it from a year, map it to a 领域, set its 公开时限,
  and the preview of a rename;
- the annual targets (`targets`): the total and each level-one entry per unit and year;
- the 公文类信息主动公开率 target (`documents_target`): one percentage per unit and year;
- shared by these (`common`): the catalogue a unit uses in a year as rows, and the edit helpers;
- reading, comparing and writing the spreadsheet itself, without the database (`file`).

Each write takes the acting Principal and checks `admin_catalogue` (`admin_targets` for the
targets) first; an entry of a unit's catalogue is edited only by that unit's admins (or those
above it). Same conventions as `admin`: functions take the caller's write session, raise
ValueError with a Chinese message, audit a `settings_change` and bump the data version. No
Streamlit here. Callers use the names below: `from data_access.write import catalogue`.
"""

from __future__ import annotations

from data_access.write.catalogue.common import CatalogueView, CategoryRow, catalogue_view, list_category_rows
from data_access.write.catalogue.documents_target import save_documents_target
from data_access.write.catalogue.entries import (
    add_category,
    preview_rename,
    rename_category,
    retire_category,
    set_category_domain,
    set_category_time_limit,
)
from data_access.write.catalogue.schemes import (
    COPY_SOURCES,
    CataloguePreview,
    CatalogueRejected,
    adopt_parent_catalogue,
    catalogue_items,
    create_scheme,
    export_catalogue,
    import_catalogue,
    preview_catalogue_import,
)
from data_access.write.catalogue.targets import TARGET_METRIC, TargetRow, list_targets, save_targets

__all__ = [
    "COPY_SOURCES",
    "TARGET_METRIC",
    "CataloguePreview",
    "CatalogueRejected",
    "CatalogueView",
    "CategoryRow",
    "TargetRow",
    "add_category",
    "adopt_parent_catalogue",
    "catalogue_items",
    "catalogue_view",
    "create_scheme",
    "export_catalogue",
    "import_catalogue",
    "list_category_rows",
    "list_targets",
    "preview_catalogue_import",
    "preview_rename",
    "rename_category",
    "retire_category",
    "save_documents_target",
    "save_targets",
    "set_category_domain",
    "set_category_time_limit",
]
