"""`python -m seed`: load the 2018 Qingyang demo data.

python -m seed                  load into the configured database (refuses one that holds other data)
python -m seed --first-run      only if the database is empty and SEED_DEMO allows it (the run command)
python -m seed --into-existing  load even though the database already holds other data
"""

from __future__ import annotations

import argparse
import sys

from data_access import db, settings
from seed import qingyang2018


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed", description="导入青阳街道 2018 年演示数据")
    parser.add_argument("--database-url", help="覆盖 DATABASE_URL")
    parser.add_argument(
        "--first-run", action="store_true", help="仅在首次启动（空库）且 SEED_DEMO 允许时导入"
    )
    parser.add_argument("--into-existing", action="store_true", help="库中已有其他数据时仍导入")
    args = parser.parse_args(argv)

    url = args.database_url or settings.database_url()
    engine = db.make_engine(url)
    db.upgrade(engine)
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


if __name__ == "__main__":
    sys.exit(main())
