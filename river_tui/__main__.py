from river_tui.launch import main

raise SystemExit(main())
