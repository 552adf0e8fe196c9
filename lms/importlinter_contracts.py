"""A custom import-linter contract: other apps import only an app's public modules.

``.importlinter`` declares the apps, the public module names every app may expose
(``services``, ``selectors``, ``data`` — modules or packages) and a few declared
modules (``lms.accounts.roles`` ...). An import from one app into any other module of
another app breaks the contract, and the report names each import with its line. The
project wiring (``lms.settings``, ``lms.urls`` ...) is not an app and may import any.
"""

from __future__ import annotations

import grimp
from importlinter import Contract, ContractCheck, fields, output


class PublicModulesContract(Contract):
    type_name = "public_modules"

    apps = fields.ListField(subfield=fields.StringField())
    public = fields.ListField(subfield=fields.StringField())
    declared = fields.ListField(subfield=fields.StringField(), required=False)
    ignore_imports = fields.ListField(subfield=fields.StringField(), required=False)

    def _app_of(self, module: str) -> str | None:
        for app in sorted(self.apps, key=len, reverse=True):  # type: ignore[arg-type]
            if module == app or module.startswith(app + "."):
                return app
        return None

    def _allowed(self, imported: str, app: str) -> bool:
        for declared in self.declared or []:  # type: ignore[union-attr]
            if imported == declared or imported.startswith(declared + "."):
                return True
        first = imported[len(app) + 1 :].split(".")[0] if imported != app else ""
        return first in self.public  # type: ignore[operator]

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        ignored = {tuple(i.split(" -> ")) for i in self.ignore_imports or []}  # type: ignore[union-attr]
        broken = []
        for module in sorted(graph.modules):
            app = self._app_of(module)
            if app is None or ".migrations." in module:
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(module)):
                other = self._app_of(imported)
                if other is None or other == app or self._allowed(imported, other):
                    continue
                if (module, imported) in ignored:
                    continue
                details = graph.get_import_details(importer=module, imported=imported)
                lines = [d["line_number"] for d in details]
                broken.append((module, imported, lines))
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for module, imported, lines in check.metadata["broken"]:
            where = ", ".join(f"l.{n}" for n in lines)
            output.print_error(
                f"{module} -> {imported} ({where}): not a public module of its app "
                "(use its services/selectors/data, or declare it in .importlinter)",
                bold=False,
            )
            output.new_line()
