"""The public API of komfortkasse, compared with a committed snapshot (``make check-api``).

Users pin this library in downstream services, so a change they can feel must show up in
review: ``python tools/api_surface.py`` describes the public surface of the *installed*
library (whatever ``import komfortkasse`` finds in the running environment) and compares
it with ``api/public-api.json``; ``--write`` (``make api-snapshot``) rewrites the snapshot.

The surface is: the exports (``__all__``) of :data:`MODULES`; for each class its bases
(all ancestors), public methods and properties (signatures: parameter names, kinds,
defaults, annotations as normalised strings) and annotated attributes, and the classes
reached through attribute annotations of public classes (``Komfortkasse().orders`` and
the other resources, whatever classes they are); for the attrs models of
``komfortkasse_generated.models`` every field with its type and whether it is required;
for enums their members and values.

A removal, or a change of a type or a signature, is *breaking* (a MAJOR version bump);
anything else that differs (an addition, or a parameter whose type only gains union
members, so every call that type-checked still does) is *minor*. Either way the check fails until
the snapshot is regenerated, so the snapshot always equals the surface exactly. Exit
status: 0 no difference, 1 breaking changes (or no snapshot), 3 additions only.
"""

from __future__ import annotations

import argparse
import dataclasses
import enum
import functools
import importlib
import inspect
import json
import re
import sys
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "EXIT_ADDITIONS",
    "MODULES",
    "SNAPSHOT",
    "Diff",
    "compare",
    "describe",
    "dumps",
    "main",
    "report",
]

#: The modules whose ``__all__`` is public, in the order that decides a type's display
#: name (a class exported by several modules is named after the first).
MODULES = (
    "komfortkasse",
    "komfortkasse.callbacks",
    "komfortkasse.testing",
    "komfortkasse_generated.models",
)
#: The module whose attrs classes are described field by field.
MODELS_MODULE = "komfortkasse_generated.models"
#: Where the committed snapshot lives.
SNAPSHOT = Path(__file__).resolve().parent.parent / "api" / "public-api.json"
#: Top-level packages whose classes are ours (members inherited from anything else, such
#: as ``Exception.add_note`` or ``Enum.name``, are not part of our surface).
OUR_PACKAGES = frozenset({"komfortkasse", "komfortkasse_generated"})
#: Dunder methods that are part of how a class is used (construction, ``with``, iteration...).
PROTOCOL_DUNDERS = frozenset(
    {
        "__init__",
        "__call__",
        "__enter__",
        "__exit__",
        "__aenter__",
        "__aexit__",
        "__iter__",
        "__aiter__",
        "__next__",
        "__anext__",
        "__len__",
        "__getitem__",
        "__contains__",
        "__bool__",
    }
)
FORMAT = 1
#: Exit status when the only differences are additions (the snapshot is merely stale).
EXIT_ADDITIONS = 3

Json = Any  # a JSON-compatible value (dict / list / str / int / float / bool / None)


# --------------------------------------------------------------------------- describe


class _Annotation:
    """Carries one annotation string for :func:`typing.get_type_hints` to evaluate."""

    def __init__(self, text: str) -> None:
        self.__annotations__ = {"x": text}


def _our(obj: object) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return module.split(".")[0] in OUR_PACKAGES


def _module_globals(obj: object) -> dict[str, Any]:
    """The globals of the module that defines ``obj``. A public exception of ours says
    ``komfortkasse`` as its ``__module__`` (``_exports.adopt``), so the module that holds
    it under its own name is looked for among the package's private modules."""
    name = getattr(obj, "__module__", None) or ""
    globals_ = getattr(obj, "__globals__", None)
    if isinstance(globals_, dict):
        return globals_
    qualname = getattr(obj, "__qualname__", "")
    for module_name, candidate in list(sys.modules.items()):
        inside = module_name.startswith(name + ".")
        if inside and candidate is not None and vars(candidate).get(qualname) is obj:
            return vars(candidate)
    module = sys.modules.get(name)
    return vars(module) if module is not None else {}


class _Describer:
    """Builds the surface: names first (so types read as public names), then entries."""

    def __init__(self) -> None:
        self.modules = {name: importlib.import_module(name) for name in MODULES}
        self.exports: dict[str, dict[str, object]] = {}
        for name, module in self.modules.items():
            exported = getattr(module, "__all__", None)
            if exported is None:
                raise SystemExit(f"api_surface: {name} has no __all__")
            self.exports[name] = {export: getattr(module, export) for export in exported}
        #: id(object) -> the public name types are displayed with.
        self.names: dict[int, str] = {}
        #: id(object) -> the export that carries its full description.
        self.home: dict[int, str] = {}
        # Exported names the annotations of our code may use without importing them
        # at run time (``if TYPE_CHECKING:`` imports), tried only when globals fail.
        self.public_ns: dict[str, object] = {}
        for module_name, exported in self.exports.items():
            for export, value in exported.items():
                self.names.setdefault(id(value), f"{module_name}.{export}")
                self.public_ns.setdefault(export, value)
        for module_name, exported in self.exports.items():
            for export, value in exported.items():
                self.home.setdefault(id(value), self._home_of(value, f"{module_name}.{export}"))
        self.reachable: dict[str, type] = {}
        self._find_reachable()

    def _home_of(self, value: object, first: str) -> str:
        """The export in the module that defines ``value`` (``models.OrderRead``, not the
        re-export ``komfortkasse.OrderRead``), else the first export."""
        defined_in = getattr(value, "__module__", None) or ""
        best = first
        best_len = -1
        for module_name, exported in self.exports.items():
            inside = defined_in == module_name or defined_in.startswith(module_name + ".")
            if inside and len(module_name) > best_len:
                for export, other in exported.items():
                    if other is value:
                        best, best_len = f"{module_name}.{export}", len(module_name)
                        break
        return best

    def _find_reachable(self) -> None:
        """Classes of ours reached only through a public class's attribute annotation or
        property (``Komfortkasse.orders`` -> the orders resource), named by that path."""
        queue: list[tuple[str, type]] = [
            (f"{module_name}.{export}", value)
            for module_name, exported in self.exports.items()
            for export, value in exported.items()
            if isinstance(value, type) and self.home[id(value)] == f"{module_name}.{export}"
        ]
        while queue:
            path, cls = queue.pop(0)
            for attr, target in sorted(self._attribute_classes(cls).items()):
                if id(target) in self.names or not _our(target):
                    continue
                reached = f"{path}.{attr}"
                self.names[id(target)] = f"type({reached})"
                self.reachable[reached] = target
                queue.append((reached, target))

    def _attribute_classes(self, cls: type) -> dict[str, type]:
        found: dict[str, type] = {}
        for name, hint in self._class_hints(cls).items():
            if not name.startswith("_") and isinstance(hint, type):
                found[name] = hint
        for name in dir(cls):
            owner = self._owner(cls, name)
            raw = owner.__dict__[name] if owner is not None else None
            if not name.startswith("_") and isinstance(raw, property) and raw.fget is not None:
                returns = self._hints_of(raw.fget).get("return")
                if isinstance(returns, type):
                    found.setdefault(name, returns)
        return found

    # ---- annotations and names

    def _resolve(self, annotation: object, namespaces: Iterable[Mapping[str, Any]]) -> object:
        """An annotation as an object: evaluated in the code's own globals first, then
        with the public names added; an annotation that still does not evaluate stays text."""
        if not isinstance(annotation, str):
            return annotation
        spaces = list(namespaces)
        attempts: list[tuple[dict[str, Any], dict[str, object] | None]] = []
        attempts += [(dict(ns), None) for ns in spaces]
        attempts += [(dict(ns), self.public_ns) for ns in spaces]
        for globalns, localns in attempts:
            try:
                return typing.get_type_hints(_Annotation(annotation), globalns, localns)["x"]
            except Exception:  # noqa: S112 -- an unresolvable name: try the next namespace
                continue
        return annotation

    def _hints_of(self, func: Callable[..., Any]) -> dict[str, object]:
        raw = getattr(inspect.unwrap(func), "__annotations__", {})
        spaces = [getattr(inspect.unwrap(func), "__globals__", {}), _module_globals(func)]
        return {name: self._resolve(value, spaces) for name, value in raw.items()}

    def _class_hints(self, cls: type) -> dict[str, object]:
        hints: dict[str, object] = {}
        for klass in reversed(cls.__mro__):
            if not _our(klass):
                continue
            for name, value in vars(klass).get("__annotations__", {}).items():
                hints[name] = self._resolve(value, [_module_globals(klass)])
        return hints

    def class_name(self, cls: type) -> str:
        known = self.names.get(id(cls))
        if known is not None:
            return known
        if cls.__module__ == "builtins":
            return cls.__qualname__
        # The shortest module path that exposes the class (``httpx.Timeout``, not
        # ``httpx._config.Timeout``), so a third party's reshuffle reads as no change.
        parts = cls.__module__.split(".")
        for end in range(1, len(parts) + 1):
            module = sys.modules.get(".".join(parts[:end]))
            if module is not None and getattr(module, cls.__qualname__, None) is cls:
                return f"{module.__name__}.{cls.__qualname__}"
        return f"{cls.__module__}.{cls.__qualname__}"

    def type_str(self, tp: object) -> str:  # noqa: PLR0911,PLR0912 (one case per form)
        """A normalised spelling of a type: public names, union members sorted."""
        if tp is None or tp is type(None):
            return "None"
        if tp is Any:
            return "Any"
        if isinstance(tp, str):
            return tp
        if isinstance(tp, typing.ForwardRef):
            return tp.__forward_arg__
        if isinstance(tp, typing.TypeVar):
            return tp.__name__
        if tp is Ellipsis:
            return "..."
        if isinstance(tp, list):
            return "[" + ", ".join(self.type_str(arg) for arg in tp) + "]"
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is typing.Union or origin is types.UnionType:
            return " | ".join(sorted({self.type_str(arg) for arg in args}))
        if origin is typing.Literal:
            return "Literal[" + ", ".join(sorted(repr(arg) for arg in args)) + "]"
        if origin is typing.Annotated:
            return self.type_str(args[0])
        if origin is not None:
            head = self.type_str(origin)
            if not args:
                return head
            return head + "[" + ", ".join(self.type_str(arg) for arg in args) + "]"
        if isinstance(tp, type):
            return self.class_name(tp)
        return repr(tp)

    def value_str(  # noqa: PLR0911,PLR0912 (one case per kind of value)
        self, value: object, namespaces: Iterable[Mapping[str, Any]]
    ) -> str:
        """A default value as stable text: its repr, or the name it is bound to when the
        repr would carry an address (sentinels without a repr of their own)."""
        if value is _attrs_nothing():
            return "<factory>"  # attrs' spelling of a default factory; dataclasses print this
        if isinstance(value, enum.Enum):
            return f"{self.class_name(type(value))}.{value.name}"
        if isinstance(value, set | frozenset):
            items = ", ".join(sorted(self.value_str(item, namespaces) for item in value))
            return f"{type(value).__name__}({{{items}}})"
        if isinstance(value, type):
            return self.class_name(value)
        module = getattr(value, "__module__", None)
        if (inspect.isfunction(value) or inspect.isbuiltin(value)) and module:
            return f"{module}.{value.__qualname__}"
        text = repr(value)
        if " at 0x" not in text:
            return text
        spaces = list(namespaces)
        for namespace in spaces:
            for name, bound in sorted(namespace.items()):
                if bound is value and not name.startswith("__"):
                    return name
        for namespace in spaces:  # ``random.random``: an attribute of an imported module
            for bound in namespace.values():
                if isinstance(bound, types.ModuleType):
                    for name, attribute in sorted(vars(bound).items()):
                        if attribute is value and not name.startswith("_"):
                            return f"{bound.__name__}.{name}"
        return f"<{self.class_name(type(value))} instance>"

    # ---- entries

    def signature(self, func: Callable[..., Any], *, bound: bool) -> dict[str, Json]:
        """Parameters (name, kind, default, annotation), return type, async-ness; for
        an overloaded function, each ``@overload``'s too (what a type checker sees)."""
        result = self._one_signature(func, bound=bound)
        overloads = typing.get_overloads(inspect.unwrap(func))
        if overloads and result:
            result["overloads"] = [self._one_signature(o, bound=bound) for o in overloads]
        return result

    def _one_signature(self, func: Callable[..., Any], *, bound: bool) -> dict[str, Json]:
        try:
            sig = inspect.signature(func)
        except (TypeError, ValueError):
            return {}  # a builtin without a signature: its presence is still checked
        hints = self._hints_of(func)
        spaces = [getattr(inspect.unwrap(func), "__globals__", {}), _module_globals(func)]
        params: list[Json] = []
        for index, param in enumerate(sig.parameters.values()):
            if bound and index == 0 and param.kind <= param.POSITIONAL_OR_KEYWORD:
                continue  # self / cls
            entry: dict[str, Json] = {
                "name": param.name,
                "kind": param.kind.description,
            }
            if param.annotation is not param.empty:
                entry["type"] = self.type_str(hints.get(param.name, param.annotation))
            if param.default is not param.empty:
                entry["default"] = self.value_str(param.default, spaces)
            params.append(entry)
        result: dict[str, Json] = {"params": params}
        if sig.return_annotation is not sig.empty:
            result["returns"] = self.type_str(hints.get("return", sig.return_annotation))
        if inspect.iscoroutinefunction(func) or inspect.isasyncgenfunction(func):
            result["async"] = True
        return result

    @staticmethod
    def _owner(of: type, name: str) -> type | None:
        """The class of ``of``'s MRO that defines ``name``, if it is one of ours."""
        for klass in of.__mro__:
            if name in vars(klass):
                return klass if _our(klass) else None
        return None

    def member(  # noqa: PLR0911 (one case per kind of member)
        self, cls: type, name: str, hints: Mapping[str, object]
    ) -> Json:
        owner = self._owner(cls, name)
        if owner is None:
            if name in hints and not name.startswith("_"):
                return {"kind": "attribute", "type": self.type_str(hints[name])}
            return None
        raw = vars(owner)[name]
        if isinstance(raw, staticmethod):
            return {"kind": "staticmethod", **self.signature(raw.__func__, bound=False)}
        if isinstance(raw, classmethod):
            return {"kind": "classmethod", **self.signature(raw.__func__, bound=True)}
        if isinstance(raw, property | functools.cached_property):
            getter = raw.fget if isinstance(raw, property) else raw.func
            returns = self._hints_of(getter).get("return") if getter else None
            entry: dict[str, Json] = {"kind": "property", "type": self.type_str(returns)}
            if isinstance(raw, property) and raw.fset is not None:
                entry["settable"] = True
            return entry
        if isinstance(raw, type):
            return {"kind": "class", "name": self.class_name(raw)}
        if callable(raw):  # a function, or any other callable (a partial, a descriptor)
            return {"kind": "method", **self.signature(raw, bound=inspect.isfunction(raw))}
        if name in hints:
            return {"kind": "attribute", "type": self.type_str(hints[name])}
        if name.startswith("_"):
            return None
        return {"kind": "attribute", "type": self.class_name(type(raw))}

    def describe_class(self, cls: type) -> Json:
        entry: dict[str, Json] = {
            "kind": "class",
            # Every ancestor a user can name: ours by public name, any other class.
            "bases": [
                self.class_name(base)
                for base in cls.__mro__[1:]
                if base is not object and (id(base) in self.names or not _our(base))
            ],
        }
        hints = self._class_hints(cls)
        skip: set[str] = set()
        if issubclass(cls, enum.Enum):
            entry["members"] = {
                name: _json_value(member.value) for name, member in cls.__members__.items()
            }
            skip.update(cls.__members__)
            skip.add("__init__")
        fields = _attrs_fields(cls) if cls.__module__.startswith(MODELS_MODULE + ".") else None
        if fields is not None:
            entry["fields"] = {
                field.name: {
                    "type": self.type_str(hints.get(field.name, field.type)),
                    "required": field.init and field.default is _attrs_nothing(),
                }
                for field in fields
            }
            skip.update(field.name for field in fields)
            skip.add("__init__")  # the fields say it: their order is not an API
        names = {*dir(cls), *hints} - skip
        members: dict[str, Json] = {}
        for name in sorted(names):
            if name.startswith("_") and name not in PROTOCOL_DUNDERS:
                continue
            described = self.member(cls, name, hints)
            if described is not None:
                members[name] = described
        entry["attributes"] = members
        return entry

    def describe(self, value: object) -> Json:
        if isinstance(value, type):
            return self.describe_class(value)
        if inspect.isfunction(value) or inspect.isbuiltin(value):
            return {"kind": "function", **self.signature(value, bound=False)}
        if typing.get_origin(value) is not None or isinstance(value, types.UnionType):
            return {"kind": "alias", "type": self.type_str(value)}
        entry: dict[str, Json] = {"kind": "constant", "type": self.class_name(type(value))}
        if value is None or isinstance(value, bool | int | float | str):
            entry["value"] = value
        return entry

    def surface(self) -> Json:
        modules: dict[str, Json] = {}
        for module_name, exported in self.exports.items():
            entries: dict[str, Json] = {}
            for export, value in exported.items():
                path = f"{module_name}.{export}"
                home = self.home[id(value)]
                if home != path:
                    entries[export] = {"kind": "reexport", "of": home}
                else:
                    entries[export] = self.describe(value)
            modules[module_name] = entries
        reachable = {path: self.describe_class(cls) for path, cls in self.reachable.items()}
        return {"format": FORMAT, "modules": modules, "reachable": reachable}


def _attrs_fields(cls: type) -> tuple[Any, ...] | None:
    try:
        import attrs
    except ImportError:  # pragma: no cover -- attrs is a dependency of the library
        return None
    return tuple(attrs.fields(cls)) if attrs.has(cls) else None


def _attrs_nothing() -> object:
    import attrs

    return attrs.NOTHING


def _json_value(value: object) -> Json:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return repr(value)


def describe() -> Json:
    """The public surface of the komfortkasse importable in this environment."""
    return _Describer().surface()


def dumps(surface: Json) -> str:
    """The snapshot's text: sorted keys, indented, one trailing newline."""
    return json.dumps(surface, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- compare


@dataclasses.dataclass
class Diff:
    """Differences between two surfaces: ``breaking`` needs a MAJOR bump, ``additions``
    only a snapshot update."""

    breaking: list[str] = dataclasses.field(default_factory=list)
    additions: list[str] = dataclasses.field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.breaking or self.additions)


_POSITIONAL = ("positional-only", "positional or keyword")
#: Kind changes that accept every call the old kind accepted.
_WIDENING_KINDS = {
    ("positional-only", "positional or keyword"),
    ("keyword-only", "positional or keyword"),
}


def _union_members(text: str) -> set[str]:
    """The top-level members of a normalised type (``a | b[c | d]`` -> ``a``, ``b[c | d]``)."""
    members: list[str] = []
    depth = start = 0
    for index, char in enumerate(text):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth == 0 and text.startswith(" | ", index):
            members.append(text[start:index])
            start = index + 3
    members.append(text[start:])
    return set(members)


def _widens(old: Json, new: Json) -> bool:
    """A parameter's new type accepts everything the old one did, and more (new union
    members only): every call that type-checked still does."""
    if not isinstance(old, str) or not isinstance(new, str):
        return False
    if "Any" in new and old != new:  # a type argument loosened to Any: list[X] -> list[Any]
        loose = re.escape(new).replace("Any", ".+")
        if re.fullmatch(loose, old):
            return True
    return _union_members(old) < _union_members(new)


def _refines(old: Json, new: Json) -> bool:
    """A return type that became the parameterised form of the same generic class
    (``Stream`` -> ``Stream[Item]``): the bare name meant ``Stream[Any]``, so every
    use of the result that type-checked still does."""
    return isinstance(old, str) and isinstance(new, str) and new.startswith(old + "[")


def _fmt(value: Json) -> str:
    if value is None:
        return "(none)"
    return value if isinstance(value, str) else json.dumps(value)


class _Comparer:
    def __init__(self, old: Json, new: Json) -> None:
        self.old = old
        self.new = new
        self.diff = Diff()

    def major(self, path: str, what: str) -> None:
        self.diff.breaking.append(f"{path}: {what}")

    def minor(self, path: str, what: str) -> None:
        self.diff.additions.append(f"{path}: {what}")

    def run(self) -> Diff:
        if self.old.get("format") != self.new.get("format"):
            self.minor("snapshot", "format changed")
        old_modules, new_modules = self.old.get("modules", {}), self.new.get("modules", {})
        for module in sorted({*old_modules, *new_modules}):
            self.names(
                f"{module}.",
                old_modules.get(module, {}),
                new_modules.get(module, {}),
                "exported",
            )
        self.names("", self.old.get("reachable", {}), self.new.get("reachable", {}), "reachable")
        return self.diff

    @staticmethod
    def _lookup(surface: Json, path: str) -> Json:
        module, _, name = path.rpartition(".")
        return surface.get("modules", {}).get(module, {}).get(name)

    def names(
        self, prefix: str, old: Mapping[str, Json], new: Mapping[str, Json], noun: str
    ) -> None:
        """Compare two name -> entry tables; ``prefix + name`` names each in messages."""
        for name in sorted({*old, *new}):
            where = prefix + name
            if name not in new:
                if any(line.startswith(f"{where}: ") for line in self.diff.breaking):
                    continue  # a reachable class whose attribute's removal is reported
                self.major(where, f"{noun} {old[name].get('kind')} removed".lstrip())
            elif name not in old:
                self.minor(where, f"{noun} {new[name].get('kind')} added".lstrip())
            else:
                self.entry(where, old[name], new[name])

    def entry(self, path: str, old: Json, new: Json) -> None:
        if old == new:
            return
        if old.get("kind") == new.get("kind") == "reexport" and old["of"] == new["of"]:
            return  # the target compares itself
        if old.get("kind") == "reexport":
            old = self._lookup(self.old, old["of"]) or old
        if new.get("kind") == "reexport":
            new = self._lookup(self.new, new["of"]) or new
        if old.get("kind") != new.get("kind"):
            self.major(path, f"was a {old.get('kind')}, now a {new.get('kind')}")
            return
        kind = old["kind"]
        if kind == "class":
            self.klass(path, old, new)
        elif kind in ("function", "method", "staticmethod", "classmethod"):
            self.signature(path, old, new)
        else:
            self.typed(path, old, new)

    def typed(self, path: str, old: Json, new: Json) -> None:
        """Attributes, properties, constants, aliases, nested class names."""
        for key in ("type", "name", "of"):
            if old.get(key) != new.get(key):
                self.major(path, f"{key} changed from {_fmt(old.get(key))} to {_fmt(new.get(key))}")
        if old.get("settable") and not new.get("settable"):
            self.major(path, "no longer settable")
        elif new.get("settable") and not old.get("settable"):
            self.minor(path, "now settable")
        if old.get("value") != new.get("value"):
            self.minor(
                path, f"value changed from {_fmt(old.get('value'))} to {_fmt(new.get('value'))}"
            )

    def klass(self, path: str, old: Json, new: Json) -> None:
        old_bases, new_bases = old.get("bases", []), new.get("bases", [])
        for base in old_bases:
            if base not in new_bases:
                self.major(path, f"no longer a subclass of {base}")
        for base in new_bases:
            if base not in old_bases:
                self.minor(path, f"now also a subclass of {base}")
        if [b for b in old_bases if b in new_bases] != [b for b in new_bases if b in old_bases]:
            self.minor(path, "order of base classes changed")
        self.enum(path, old.get("members"), new.get("members"))
        self.fields(path, old.get("fields"), new.get("fields"))
        self.names(f"{path}.", old.get("attributes", {}), new.get("attributes", {}), "")

    def enum(self, path: str, old: Json, new: Json) -> None:
        if old is None and new is None:
            return
        old, new = old or {}, new or {}
        for name in sorted({*old, *new}):
            if name not in new:
                self.major(f"{path}.{name}", "enum member removed")
            elif name not in old:
                self.minor(f"{path}.{name}", f"enum member added (value {_fmt(new[name])})")
            elif old[name] != new[name]:
                self.major(
                    f"{path}.{name}",
                    f"enum value changed from {_fmt(old[name])} to {_fmt(new[name])}",
                )

    def fields(self, path: str, old: Json, new: Json) -> None:
        if old is None and new is None:
            return
        old, new = old or {}, new or {}
        for name in sorted({*old, *new}):
            where = f"{path}.{name}"
            if name not in new:
                self.major(where, "field removed")
            elif name not in old:
                if new[name]["required"]:
                    self.major(where, f"required field added ({new[name]['type']})")
                else:
                    self.minor(where, f"optional field added ({new[name]['type']})")
            else:
                before, after = old[name], new[name]
                if before["type"] != after["type"]:
                    self.major(
                        where, f"field type changed from {before['type']} to {after['type']}"
                    )
                if after["required"] and not before["required"]:
                    self.major(where, "field is now required")
                elif before["required"] and not after["required"]:
                    self.minor(where, "field is now optional")

    def signature(self, path: str, old: Json, new: Json) -> None:
        """A function's change. With overloads on either side, every old overload
        (or the old signature) must still be met by one new overload: a call that
        type-checked does, with the same types."""
        if "overloads" not in old and "overloads" not in new:
            self.one_signature(path, old, new)
            return
        news = new.get("overloads") or [new]
        for before in old.get("overloads") or [old]:
            trials = []
            for after in news:
                trial = _Comparer(self.old, self.new)
                trial.one_signature(path, before, after)
                trials.append(trial.diff)
            kept = next((diff for diff in trials if not diff.breaking), None)
            if kept is None:
                self.diff.breaking += trials[0].breaking
            else:
                self.diff.additions += kept.additions
        added = len(news) - len(old.get("overloads") or [old])
        if added > 0:
            self.minor(path, f"{added} new overload(s)")

    def one_signature(self, path: str, old: Json, new: Json) -> None:
        if bool(old.get("async")) != bool(new.get("async")):
            now = "async" if new.get("async") else "not async"
            self.major(path, f"now {now}")
        if old.get("returns") != new.get("returns"):
            change = (
                f"return type changed from {_fmt(old.get('returns'))} to {_fmt(new.get('returns'))}"
            )
            if _refines(old.get("returns"), new.get("returns")):
                self.minor(path, f"{change} (the same class, parameterised)")
            else:
                self.major(path, change)
        old_params = {p["name"]: p for p in old.get("params") or []}
        new_params = {p["name"]: p for p in new.get("params") or []}
        old_order, new_order = list(old_params), list(new_params)
        renamed: dict[str, str] = {}
        for index, name in enumerate(old_order):
            if name in new_params:
                continue
            if index < len(new_order):
                candidate = new_order[index]
                same_kind = new_params[candidate]["kind"] == old_params[name]["kind"]
                if candidate not in old_params and same_kind:
                    renamed[candidate] = name
                    self.major(path, f"parameter {name!r} renamed to {candidate!r}")
                    continue
            self.major(path, f"parameter {name!r} removed")
        old_positional = [n for n in old_order if old_params[n]["kind"] in _POSITIONAL]
        for index, name in enumerate(new_order):
            before = old_params.get(renamed.get(name, name))
            if before is not None:
                self.param(path, before, new_params[name], label=name)
            else:
                self.new_param(path, new_params[name], shifts=index < len(old_positional))
        kept_old = [n for n in old_positional if n in new_params or n in renamed.values()]
        new_positional = [
            renamed.get(n, n) for n in new_order if new_params[n]["kind"] in _POSITIONAL
        ]
        kept_new = [n for n in new_positional if n in kept_old]
        if kept_old != kept_new and set(kept_old) == set(kept_new):
            self.major(path, "order of positional parameters changed")

    def new_param(self, path: str, param: Json, *, shifts: bool) -> None:
        name = param["name"]
        if "default" not in param and not param["kind"].startswith("variadic"):
            self.major(path, f"new required parameter {name!r}")
        elif param["kind"] in _POSITIONAL and shifts:
            self.major(path, f"new parameter {name!r} shifts the positional parameters")
        else:
            self.minor(path, f"new optional parameter {name!r}")

    def param(self, path: str, old: Json, new: Json, *, label: str) -> None:
        where = f"parameter {label!r}"
        if old["kind"] != new["kind"]:
            change = f"{where}: kind changed from {old['kind']} to {new['kind']}"
            if (old["kind"], new["kind"]) in _WIDENING_KINDS:
                self.minor(path, change)
            else:
                self.major(path, change)
        if old.get("type") != new.get("type"):
            change = f"type changed from {_fmt(old.get('type'))} to {_fmt(new.get('type'))}"
            if _widens(old.get("type"), new.get("type")):
                self.minor(path, f"{where}: {change} (accepts more)")
            else:
                self.major(path, f"{where}: {change}")
        if "default" in old and "default" not in new:
            self.major(path, f"{where}: default {old['default']} removed (now required)")
        elif "default" in new and "default" not in old:
            self.minor(path, f"{where}: now optional (default {new['default']})")
        elif old.get("default") != new.get("default"):
            self.major(path, f"{where}: default changed from {old['default']} to {new['default']}")


def compare(old: Json, new: Json) -> Diff:
    """Every difference from the snapshot ``old`` to the surface ``new``, classified."""
    return _Comparer(old, new).run()


def report(diff: Diff, *, snapshot: str = "api/public-api.json") -> str:
    """The check's message: every difference on a line of its own."""
    lines: list[str] = []
    if diff.breaking:
        lines.append(
            f"API check FAILED: {len(diff.breaking)} breaking change(s) to the public API. "
            "Pinned users will break: this needs a MAJOR version bump."
        )
        lines += [f"  - {item}" for item in diff.breaking]
        lines.append(
            "If this is intended: bump the MAJOR version (pyproject.toml), record it in "
            f"CHANGELOG.md, then run `make api-snapshot` and commit {snapshot}."
        )
    if diff.additions:
        if lines:
            lines.append("")
        lines.append(
            f"API check: {len(diff.additions)} addition(s) to the public API (a minor change). "
            f"Update the snapshot: run `make api-snapshot` and commit {snapshot}."
        )
        lines += [f"  - {item}" for item in diff.additions]
    return "\n".join(lines)


def _count(surface: Json) -> int:
    modules = surface.get("modules", {}).values()
    return sum(len(entries) for entries in modules) + len(surface.get("reachable", {}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the snapshot")
    parser.add_argument("--snapshot", type=Path, default=SNAPSHOT, help="snapshot path")
    args = parser.parse_args(argv)
    path: Path = args.snapshot
    surface = describe()
    source = Path(importlib.import_module("komfortkasse").__file__ or "?").parent
    try:
        shown = str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        shown = str(path)
    if args.write:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dumps(surface), encoding="utf-8")
        print(f"wrote {shown}: {_count(surface)} public names, from {source}")
        return 0
    if not path.exists():
        print(f"API check: no snapshot at {shown}; run `make api-snapshot`", file=sys.stderr)
        return 1
    diff = compare(json.loads(path.read_text(encoding="utf-8")), surface)
    if diff:
        print(report(diff, snapshot=shown), file=sys.stderr)
        print(f"(checked the komfortkasse imported from {source})", file=sys.stderr)
        return 1 if diff.breaking else EXIT_ADDITIONS
    print(f"API check OK: the public API ({_count(surface)} names, from {source}) matches {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
