-- Owner from master data (issue 11 item 3): when a line's final cost center is a known code and no
-- tag, contract or rule names an owner, the owner is that cost center's owner in master data
-- (owner_source 'master-data'). The switch lives with the data, not only in a process's
-- environment, so every re-attribution (rules, claims, contracts, cost centers, restated
-- comparatives) decides the same way; costbridge copies COSTBRIDGE_OWNER_FROM_MASTER_DATA into it
-- at start and re-attributes the lines it affects when it changes.
CREATE TABLE attribution_setting (
  singleton              boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
  owner_from_master_data boolean     NOT NULL DEFAULT true,
  updated_at             timestamptz NOT NULL DEFAULT now()
);
INSERT INTO attribution_setting DEFAULT VALUES;

-- Lines stored before this version get the same decision now.
UPDATE cost_line c
   SET owner = x.owner, owner_source = 'master-data'
  FROM cost_center x
 WHERE c.owner IS NULL AND c.cost_center = x.code AND x.owner IS NOT NULL;
