from bmz_collection.cli.main import main

raise SystemExit(main())
