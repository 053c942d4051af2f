from annotator.app import main

raise SystemExit(main())
