import { categoryOfType, type EventCategory } from '../../core/events/categories.js';
import type { EventCatalog } from '../../core/events/catalog.js';
import type { PlatformEvent } from '../../core/events/model.js';
import { RESOURCE_FILTERS, resourcesOf, type ResourceValues } from '../../core/events/resources.js';
import type { TypeFilter } from '../../core/events/type-filter.js';

// A subscriber's first resource filter in RESOURCE_FILTERS' order (most selective first) is indexed.
export {
  RESOURCE_FILTERS,
  resourcesOf,
  type ResourceFilter,
  type ResourceValues,
} from '../../core/events/resources.js';

/** What the index needs of a subscriber. */
export interface Subscriber {
  readonly organizationId: string;
  readonly filter: TypeFilter;
  readonly resources: ResourceValues;
}

interface Bucket<S> {
  /** Subscribers of this bucket without resource filters. */
  open: Set<S>;
  /** Subscribers with resource filters, by their first filter (`name=value`). */
  byResource: Map<string, Set<S>>;
}

interface OrganizationIndex<S> {
  all: Bucket<S>;
  byCategory: Map<EventCategory, Bucket<S>>;
  byType: Map<string, Bucket<S>>;
  size: number;
}

interface Placement {
  buckets: { kind: 'all' | 'category' | 'type'; key: string }[];
  resourceKey: string | undefined;
}

const newBucket = <S>(): Bucket<S> => ({ open: new Set(), byResource: new Map() });
const resourceKey = (name: string, value: string) => `${name}\u0000${value}`;

/**
 * Finds the subscribers of an event without looking at the others: indexed by organization, then
 * by type (`*` in one bucket, a whole category in one bucket per category, other patterns by
 * each exact type), then by the first resource filter. Each subscriber sits in exactly one bucket
 * per type it wants, so an event visits a subscriber at most once, and the work per event grows
 * with the subscribers it matches (plus at most 3 × 5 lookups).
 */
export function createMatcher<S extends Subscriber>(catalog: EventCatalog) {
  const organizations = new Map<string, OrganizationIndex<S>>();
  const placements = new Map<S, Placement>();

  function bucketOf(
    index: OrganizationIndex<S>,
    kind: Placement['buckets'][number]['kind'],
    key: string,
    create: boolean,
  ): Bucket<S> | undefined {
    if (kind === 'all') return index.all;
    const map = (kind === 'category' ? index.byCategory : index.byType) as Map<string, Bucket<S>>;
    let bucket = map.get(key);
    if (!bucket && create) map.set(key, (bucket = newBucket()));
    return bucket;
  }

  function placementOf(subscriber: S): Placement {
    const first = RESOURCE_FILTERS.find((name) => subscriber.resources[name] !== undefined);
    const key = first ? resourceKey(first, subscriber.resources[first]!) : undefined;
    if (subscriber.filter.all) return { buckets: [{ kind: 'all', key: '' }], resourceKey: key };
    const buckets: Placement['buckets'] = [];
    for (const category of subscriber.filter.categories) {
      const types = catalog.typesOfCategory(category);
      if (types.every((type) => subscriber.filter.types.has(type))) buckets.push({ kind: 'category', key: category });
      else for (const type of types) if (subscriber.filter.types.has(type)) buckets.push({ kind: 'type', key: type });
    }
    return { buckets, resourceKey: key };
  }

  /** The subscriber's other resource filters (the indexed one matched already, or none is set). */
  function restMatches(subscriber: S, values: ResourceValues): boolean {
    for (const name of RESOURCE_FILTERS) {
      const wanted = subscriber.resources[name];
      if (wanted !== undefined && values[name] !== wanted) return false;
    }
    return true;
  }

  return {
    add(subscriber: S): void {
      if (placements.has(subscriber)) return;
      let index = organizations.get(subscriber.organizationId);
      if (!index)
        organizations.set(
          subscriber.organizationId,
          (index = { all: newBucket(), byCategory: new Map(), byType: new Map(), size: 0 }),
        );
      const placement = placementOf(subscriber);
      for (const { kind, key } of placement.buckets) {
        const bucket = bucketOf(index, kind, key, true)!;
        if (placement.resourceKey === undefined) bucket.open.add(subscriber);
        else {
          let set = bucket.byResource.get(placement.resourceKey);
          if (!set) bucket.byResource.set(placement.resourceKey, (set = new Set()));
          set.add(subscriber);
        }
      }
      index.size += 1;
      placements.set(subscriber, placement);
    },

    remove(subscriber: S): void {
      const placement = placements.get(subscriber);
      if (!placement) return;
      placements.delete(subscriber);
      const index = organizations.get(subscriber.organizationId)!;
      for (const { kind, key } of placement.buckets) {
        const bucket = bucketOf(index, kind, key, false);
        if (!bucket) continue;
        if (placement.resourceKey === undefined) bucket.open.delete(subscriber);
        else {
          const set = bucket.byResource.get(placement.resourceKey);
          set?.delete(subscriber);
          if (set?.size === 0) bucket.byResource.delete(placement.resourceKey);
        }
        if (kind !== 'all' && bucket.open.size === 0 && bucket.byResource.size === 0) {
          (kind === 'category' ? index.byCategory : index.byType).delete(key as never);
        }
      }
      index.size -= 1;
      if (index.size === 0) organizations.delete(subscriber.organizationId);
    },

    /** Calls `visit` once for each subscriber the event matches. */
    match(event: PlatformEvent, visit: (subscriber: S) => void, values: ResourceValues = resourcesOf(event)): void {
      const index = organizations.get(event.metadata.organization_id);
      if (!index) return;
      const category = categoryOfType(event.type);
      const buckets = [index.all, category && index.byCategory.get(category), index.byType.get(event.type)];
      for (const bucket of buckets) {
        if (!bucket) continue;
        for (const subscriber of bucket.open) visit(subscriber);
        if (bucket.byResource.size === 0) continue;
        for (const name of RESOURCE_FILTERS) {
          const value = values[name];
          if (value === undefined) continue;
          const set = bucket.byResource.get(resourceKey(name, value));
          if (!set) continue;
          for (const subscriber of set) if (restMatches(subscriber, values)) visit(subscriber);
        }
      }
    },

    /** Whether any subscriber of the organization wants this type (so the record is worth decoding). */
    wants(organizationId: string, type: string | undefined): boolean {
      const index = organizations.get(organizationId);
      if (!index) return false;
      if (type === undefined || index.all.open.size > 0 || index.all.byResource.size > 0) return true;
      const category = categoryOfType(type);
      return (category !== undefined && index.byCategory.has(category)) || index.byType.has(type);
    },

    /** Whether one subscriber wants the event (the catch-up path, which reads events one client at a time). */
    matches(subscriber: S, event: PlatformEvent, values: ResourceValues = resourcesOf(event)): boolean {
      return (
        subscriber.organizationId === event.metadata.organization_id &&
        subscriber.filter.matches(event.type) &&
        restMatches(subscriber, values)
      );
    },

    get size(): number {
      return placements.size;
    },
  };
}

export type Matcher<S extends Subscriber> = ReturnType<typeof createMatcher<S>>;
