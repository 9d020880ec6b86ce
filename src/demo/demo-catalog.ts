// The invented world the demo data describes: one company (Acme), its cost centers, and three
// vendors. Every name, account and price here is fictional.

/** A demo vendor; each gets one FOCUS file and one invoice per billing month it bills. */
export interface DemoProvider {
  readonly slug: string;
  readonly providerName: string;
  readonly publisherName: string;
  readonly invoiceIssuerName: string;
  readonly billingAccountId: string;
  readonly billingAccountName: string;
  /** Prefix of its invoice ids. */
  readonly invoicePrefix: string;
  readonly kind: 'cloud' | 'saas' | 'ai';
}

export const nimbus: DemoProvider = {
  slug: 'nimbus-cloud',
  providerName: 'Nimbus Cloud',
  publisherName: 'Nimbus Cloud',
  invoiceIssuerName: 'Nimbus Cloud Services LLC',
  billingAccountId: 'NB-4410-2207',
  billingAccountName: 'Acme Group',
  invoicePrefix: 'NBI',
  kind: 'cloud',
};

export const ledgerly: DemoProvider = {
  slug: 'ledgerly',
  providerName: 'Ledgerly',
  publisherName: 'Ledgerly Inc.',
  invoiceIssuerName: 'Ledgerly Inc.',
  billingAccountId: 'LDG-ACME-0042',
  billingAccountName: 'Acme Group - Finance',
  invoicePrefix: 'LDG',
  kind: 'saas',
};

export const cortex: DemoProvider = {
  slug: 'cortex-ai',
  providerName: 'Cortex AI',
  publisherName: 'Cortex AI Labs, Inc.',
  invoiceIssuerName: 'Cortex AI Labs, Inc.',
  billingAccountId: 'cx-org-58213',
  billingAccountName: 'acme-data-science',
  invoicePrefix: 'CX',
  kind: 'ai',
};

/** In file order. */
export const demoProviders: readonly DemoProvider[] = [nimbus, ledgerly, cortex];

/** One row of itfm/cost-centers.csv. */
export interface DemoCostCenter {
  readonly code: string;
  readonly name: string;
  readonly parent: string;
  readonly owner: string;
  readonly legalEntity: string;
  readonly chatChannel: string;
}

/** Parents before children. */
export const demoCostCenters: readonly DemoCostCenter[] = [
  { code: 'CC-1000', name: 'Technology', parent: '', owner: 'cto.office@acme.example', legalEntity: 'ACME-US', chatChannel: 'slack:C0DEMO01' },
  { code: 'CC-1100', name: 'IT Shared Services', parent: 'CC-1000', owner: 'it.finance@acme.example', legalEntity: 'ACME-US', chatChannel: 'slack:C0DEMO02' },
  { code: 'CC-1200', name: 'Platform Engineering', parent: 'CC-1000', owner: 'maria.keller@acme.example', legalEntity: 'ACME-US', chatChannel: 'slack:C0DEMO03' },
  { code: 'CC-1210', name: 'Data Platform', parent: 'CC-1200', owner: 'tomas.varga@acme.example', legalEntity: 'ACME-US', chatChannel: '' },
  { code: 'CC-1300', name: 'Digital Products', parent: 'CC-1000', owner: 'aisha.bello@acme.example', legalEntity: 'ACME-US', chatChannel: 'slack:C0DEMO05' },
  { code: 'CC-1310', name: 'Checkout', parent: 'CC-1300', owner: 'li.wei@acme.example', legalEntity: 'ACME-US', chatChannel: 'slack:C0DEMO06' },
  { code: 'CC-1320', name: 'Mobile App', parent: 'CC-1300', owner: 'jonas.berg@acme.example', legalEntity: 'ACME-DE', chatChannel: '' },
  { code: 'CC-1400', name: 'Data Science', parent: 'CC-1000', owner: 'priya.natarajan@acme.example', legalEntity: 'ACME-US', chatChannel: 'slack:C0DEMO08' },
  { code: 'CC-2000', name: 'Finance Systems', parent: '', owner: 'controller@acme.example', legalEntity: 'ACME-US', chatChannel: 'slack:C0DEMO09' },
];

/** Where the GL books everything that carries no known cost center. */
export const sharedCostCenter = 'CC-1100';
/** The cost center value mis-tagged resources carry: not in the master data. */
export const unknownCostCenter = 'CC-9999';

/** Spellings of the cost-center tag key used in the data (all in costbridge's default alias table). */
export const costCenterTagKeys = ['CostCenter', 'cost-center', 'cc'] as const;
/** Spellings of the environment tag key. */
export const environmentTagKeys = ['env', 'Environment'] as const;

/** GL accounts the demo GL uses. */
export const glAccounts = {
  cloud: { code: '6400', name: 'Cloud hosting' },
  saas: { code: '6410', name: 'Software subscriptions' },
  ai: { code: '6420', name: 'AI services' },
  tax: { code: '6480', name: 'Non-recoverable sales tax' },
  unclassified: { code: '6990', name: 'Unclassified IT spend (suspense, no contract)' },
} as const;

/** Budget categories (ITFM cost categories). */
export type DemoCategory = 'cloud' | 'saas' | 'ai';

/** A Nimbus sub-account: the cost centers whose resources live there. */
export interface DemoSubAccount {
  readonly id: string;
  readonly name: string;
  readonly environment: 'production' | 'development';
  readonly costCenters: readonly string[];
}

export const nimbusSubAccounts: readonly DemoSubAccount[] = [
  { id: 'nb-prod-platform', name: 'Platform Production', environment: 'production', costCenters: ['CC-1200'] },
  { id: 'nb-prod-data', name: 'Data Production', environment: 'production', costCenters: ['CC-1210', 'CC-1400'] },
  { id: 'nb-prod-apps', name: 'Apps Production', environment: 'production', costCenters: ['CC-1310', 'CC-1320'] },
  { id: 'nb-dev', name: 'Development', environment: 'development', costCenters: ['CC-1200', 'CC-1210', 'CC-1310', 'CC-1320', 'CC-1400'] },
  { id: 'nb-shared', name: 'Shared Services', environment: 'production', costCenters: ['CC-1100'] },
];

export const nimbusRegions: ReadonlyArray<{ id: string; name: string }> = [
  { id: 'us-east-1', name: 'US East (Virginia)' },
  { id: 'us-west-2', name: 'US West (Oregon)' },
  { id: 'eu-central-1', name: 'EU (Frankfurt)' },
];

/** Applications and teams per cost center, for tags. */
export const costCenterApps: Readonly<Record<string, { apps: readonly string[]; team: string }>> = {
  'CC-1100': { apps: ['identity', 'itsm', 'monitoring'], team: 'it-ops' },
  'CC-1200': { apps: ['platform-core', 'ci-runners', 'service-mesh'], team: 'platform' },
  'CC-1210': { apps: ['data-lake', 'etl', 'feature-store'], team: 'data-platform' },
  'CC-1310': { apps: ['checkout', 'payments-api'], team: 'checkout' },
  'CC-1320': { apps: ['mobile-api', 'push-gateway'], team: 'mobile' },
  'CC-1400': { apps: ['recsys', 'llm-assistant', 'forecasting'], team: 'data-science' },
};

/** A priced Nimbus SKU. */
export interface DemoSku {
  readonly skuId: string;
  /** SkuPriceId of the price in force. */
  readonly skuPriceId: string;
  readonly serviceName: string;
  readonly serviceCategory: string;
  readonly serviceSubcategory: string;
  readonly resourceType: string;
  readonly pricingUnit: string;
  readonly consumedUnit: string;
  /** Consumed units in one pricing unit (1000 tokens in a "1K Tokens"). */
  readonly consumedPerPricingUnit: bigint;
  readonly listUnitPriceMicros: bigint;
  readonly contractedUnitPriceMicros: bigint;
  /** ChargeDescription. */
  readonly description: string;
  readonly category: DemoCategory;
}

/** The negotiated discount off list on every Nimbus SKU, in basis points. */
export const nimbusDiscountBasisPoints = 500n;

function sku(
  skuId: string,
  serviceName: string,
  serviceCategory: string,
  serviceSubcategory: string,
  resourceType: string,
  pricingUnit: string,
  consumedUnit: string,
  listUnitPriceMicros: bigint,
  description: string,
  category: DemoCategory = 'cloud',
  consumedPerPricingUnit = 1n,
): DemoSku {
  const contracted = (listUnitPriceMicros * (10_000n - nimbusDiscountBasisPoints) + 5_000n) / 10_000n;
  return {
    skuId,
    skuPriceId: `${skuId}-P2026`,
    serviceName,
    serviceCategory,
    serviceSubcategory,
    resourceType,
    pricingUnit,
    consumedUnit,
    consumedPerPricingUnit,
    listUnitPriceMicros,
    contractedUnitPriceMicros: contracted,
    description,
    category,
  };
}

/** What a generic resource is and how its daily quantity behaves. */
export type ResourceKindName = 'vm' | 'block' | 'object' | 'postgres' | 'k8s' | 'egress' | 'tokens' | 'nosql';

export interface ResourceKind {
  readonly name: ResourceKindName;
  readonly sku: DemoSku;
  /** Resource id/name stem. */
  readonly stem: string;
}

export const resourceKinds: readonly ResourceKind[] = [
  { name: 'vm', stem: 'vm', sku: sku('NB-VM-STD4', 'Nimbus Compute Engine', 'Compute', 'Virtual Machines', 'Virtual Machine', 'Hours', 'Hours', 192_000n, 'nc2-standard-4 instance hour') },
  { name: 'block', stem: 'vol', sku: sku('NB-BLK-SSD', 'Nimbus Block Storage', 'Storage', 'Disk', 'Volume', 'GB-Month', 'GB-Month', 100_000n, 'SSD block storage per GB-month') },
  { name: 'postgres', stem: 'pg', sku: sku('NB-DB-PG-MED', 'Nimbus Managed Postgres', 'Databases', 'Relational', 'Database Instance', 'Hours', 'Hours', 290_000n, 'Managed Postgres db.m-medium instance hour') },
  { name: 'object', stem: 'bucket', sku: sku('NB-OBJ-STD', 'Nimbus Object Storage', 'Storage', 'Object Storage', 'Bucket', 'GB-Month', 'GB-Month', 23_000n, 'Standard object storage per GB-month') },
  { name: 'tokens', stem: 'endpoint', sku: sku('NB-MG-TEXT', 'Nimbus Model Garden', 'AI and Machine Learning', 'Generative AI', 'Model Endpoint', '1K Tokens', 'Tokens', 2_000n, 'Model Garden text generation per 1K tokens', 'ai', 1_000n) },
  { name: 'k8s', stem: 'k8s', sku: sku('NB-K8S-CTRL', 'Nimbus Kubernetes Service', 'Compute', 'Containers', 'Cluster', 'Hours', 'Hours', 100_000n, 'Kubernetes control plane hour') },
  { name: 'egress', stem: 'lb', sku: sku('NB-NET-EGRESS', 'Nimbus Networking', 'Networking', 'Data Transfer', 'Load Balancer', 'GB', 'GB', 90_000n, 'Internet data transfer out per GB') },
  { name: 'nosql', stem: 'table', sku: sku('NB-NOSQL-RU', 'Nimbus Document DB', 'Databases', 'NoSQL', 'Table', '1M Requests', 'Requests', 250_000n, 'Document DB requests per million', 'cloud', 1_000_000n) },
];

/** The commitment-covered instance type (used only by the commitment scenario). */
export const commitmentSku: DemoSku = sku('NB-VM-HM8', 'Nimbus Compute Engine', 'Compute', 'Virtual Machines', 'Virtual Machine', 'Hours', 'Hours', 520_000n, 'nc2-highmem-8 instance hour');
/** The reserved-instance hourly rate: what the commitment costs per hour of its term. */
export const commitmentHourlyRateMicros = 312_000n;

/** The SKU whose price rises (used only by the price-change scenario). */
export const priceChangeSku: DemoSku = sku('NB-DB-PG-LARGE', 'Nimbus Managed Postgres', 'Databases', 'Relational', 'Database Instance', 'Hours', 'Hours', 580_000n, 'Managed Postgres db.m-large instance hour');
/** +10%. */
export const priceChangeBasisPoints = 1_000n;

/** Ledgerly: the SaaS license and its AI add-on. */
export const ledgerlyLicense = {
  skuId: 'LDG-FIN-ENT',
  skuPriceId: 'LDG-FIN-ENT-2026',
  serviceName: 'Ledgerly Financials',
  serviceCategory: 'Business Applications',
  serviceSubcategory: 'Other (Business Applications)',
  listUnitPriceMicros: 55_000_000n,
  contractedUnitPriceMicros: 48_000_000n,
} as const;

export const ledgerlyCopilot = {
  skuId: 'LDG-COPILOT-TOK',
  skuPriceId: 'LDG-COPILOT-TOK-2026',
  serviceName: 'Ledgerly Copilot',
  serviceCategory: 'AI and Machine Learning',
  serviceSubcategory: 'Generative AI',
  listUnitPriceMicros: 4_000n,
  contractedUnitPriceMicros: 4_000n,
} as const;

/** Cortex AI: the new AI service with no contract, first billed in the last month. */
export const cortexService = {
  serviceName: 'Cortex Inference API',
  serviceCategory: 'AI and Machine Learning',
  serviceSubcategory: 'Generative AI',
  model: 'cortex-large',
  skus: [
    { skuId: 'CX-LARGE-IN', skuPriceId: 'CX-LARGE-IN-STD', kind: 'input', listUnitPriceMicros: 3_000n },
    { skuId: 'CX-LARGE-OUT', skuPriceId: 'CX-LARGE-OUT-STD', kind: 'output', listUnitPriceMicros: 15_000n },
  ],
} as const;
