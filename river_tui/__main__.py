from river_tui.cli import main

raise SystemExit(main())
