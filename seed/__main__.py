"""`python -m seed`: load the 2018 Qingyang demo data.

python -m seed                  load into the configured database (refuses one that holds other data)
python -m seed --first-run      only if the database is empty and SEED_DEMO allows it (the run command)
python -m seed --into-existing  load even though the database already holds other data
python -m seed --scale --units N --years Y [--seed S] [--per-year K]
                                city-scale test data into an empty database: a city with N
                                sub-districts, Y years, about N × Y × K publications (seed/scale.py)
"""

from __future__ import annotations

import argparse
import sys

from data_access import settings
from data_access.store import db
from seed import qingyang2018, scale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed", description="导入青阳街道 2018 年演示数据")
    parser.add_argument("--database-url", help="覆盖 DATABASE_URL")
    parser.add_argument(
        "--first-run", action="store_true", help="仅在首次启动（空库）且 SEED_DEMO 允许时导入"
    )
    parser.add_argument("--into-existing", action="store_true", help="库中已有其他数据时仍导入")
    parser.add_argument("--scale", action="store_true", help="生成市级规模的测试数据（仅限空库）")
    parser.add_argument("--units", type=int, default=20, help="街道数（--scale，默认 20）")
    parser.add_argument("--years", type=int, default=10, help="年数（--scale，默认 10，截至 2025 年）")
    parser.add_argument("--seed", type=int, default=1, help="随机种子（--scale，默认 1）")
    parser.add_argument("--per-year", type=int, default=5000, help="每个街道每年的公开信息条数（默认 5000）")
    args = parser.parse_args(argv)

    url = args.database_url or settings.database_url()
    engine = db.make_engine(url)
    db.upgrade(engine)
    if args.scale:
        return _scale(engine, args)
    if args.first_run:
        choice = settings.get("SEED_DEMO").lower()
        wanted = choice == "yes" or (choice == "auto" and settings.is_embedded_default(url))
        if not wanted:
            return 0
        with db.read_session(engine) as session:
            if qingyang2018.holds_data(session):
                return 0
    try:
        with db.write_session(engine) as session:
            counts = qingyang2018.load(session, into_existing=args.into_existing)
    except qingyang2018.AlreadyHoldsData as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    if not counts:
        print("演示数据已存在，未做任何修改")
    else:
        print("已导入青阳街道 2018 年演示数据：" + "，".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def _scale(engine, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    if min(args.units, args.years, args.per_year) < 1:
        print("错误：--units、--years、--per-year 都应为正整数", file=sys.stderr)
        return 2
    spec = scale.ScaleSpec(units=args.units, years=args.years, seed=args.seed, per_year=args.per_year)
    try:
        written = scale.load(engine, spec, progress=lambda line: print(line, file=sys.stderr))
    except scale.NotEmpty as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    seconds = written.pop("seconds")
    print(f"已生成规模数据（{seconds} 秒）：" + "，".join(f"{k} {v}" for k, v in written.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
