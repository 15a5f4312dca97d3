import { ConfigErrors } from '../config-errors.js';
import { useMeshSnapshot } from '../use-mesh-state.js';
import { ServiceList } from './service-list.js';

/** Registered services, versions and instances, with where each was declared. */
export function ServicesPage() {
  const { info, services } = useMeshSnapshot();
  return (
    <>
      {info && <ConfigErrors errors={info.configErrors} />}
      {services && <ServiceList services={services} />}
    </>
  );
}
