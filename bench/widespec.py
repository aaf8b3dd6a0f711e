#!/usr/bin/env python3
"""Writes the "wide spec" of gen's benchmark: N resources, each with seven
fields of varied types and a many_to_one to the previous resource.

    python3 bench/widespec.py 100 > wide-100.yaml
"""

import sys


def wide_spec(n: int) -> str:
    lines = [
        "version: 1",
        "project:",
        f"  name: wide{n}",
        f"  title: Wide {n}",
        "  api_prefix: /api/v1",
        "auth:",
        "  roles: [admin, member]",
        "  default_role: member",
        "resources:",
    ]
    for i in range(1, n + 1):
        lines += [
            f"  Item{i}:",
            "    fields:",
            "      title: {type: string, max_length: 120}",
            "      body: {type: text, nullable: true}",
            "      count: {type: int, min: 0, default: 0}",
            "      price: {type: decimal, precision: 10, scale: 2, nullable: true}",
            "      active: {type: bool, default: true}",
            "      due: {type: datetime, nullable: true}",
            "      kind: {type: enum, values: [small, large], default: small}",
        ]
        if i > 1:
            lines += [
                "    relations:",
                f"      parent: {{kind: many_to_one, to: Item{i - 1}, nullable: true, on_delete: set_null}}",
            ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(wide_spec(int(sys.argv[1]) if len(sys.argv) > 1 else 100))
