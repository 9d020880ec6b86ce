-- A contract can cover one ServiceCategory of a vendor (glob, like the other vendor fields), so a
-- classification made for a vendor's unclassified AI spend covers those lines, not all of its spend.
ALTER TABLE contract ADD COLUMN match_service_category text;
