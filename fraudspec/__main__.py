from fraudspec.cli.main import main

raise SystemExit(main())
