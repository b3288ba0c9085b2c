"""No import cycles between the package's modules: each module can be read, tested and
moved knowing only what it imports. Counts every import, lazy ones inside functions and
``TYPE_CHECKING`` ones too, as import-linter does."""

from __future__ import annotations

import grimp

# Cycles known and being removed; each must still exist (so that this list shrinks as
# they go) and no other may appear. None is left.
KNOWN: set[frozenset[str]] = set()


def _cycles(graph: grimp.ImportGraph) -> list[frozenset[str]]:
    """The groups of modules that import each other, directly or not (Tarjan's
    strongly connected components, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == module:
                        break
                if len(group) > 1:
                    found.append(frozenset(group))
    return found


def test_no_module_imports_itself_round_a_loop() -> None:
    cycles = set(_cycles(grimp.build_graph("incident_recorder")))
    assert sorted(sorted(c) for c in cycles - KNOWN) == []
    assert cycles >= KNOWN, "a known cycle is gone: take it off KNOWN"


def test_the_search_finds_a_loop() -> None:
    graph = grimp.ImportGraph()
    for importer, imported in (("a", "b"), ("b", "c"), ("c", "a"), ("d", "a"), ("d", "e")):
        graph.add_import(importer=importer, imported=imported)
    assert _cycles(graph) == [frozenset({"a", "b", "c"})]
