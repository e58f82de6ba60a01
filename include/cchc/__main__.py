from cchc.cli import main

raise SystemExit(main())
