/**
 * URLs of the API's routes, typed by the generated contract (openapi-types.ts): a path template
 * must be one the OpenAPI document lists for the method, its path and query parameters are the
 * document's, and the URL carries the request body type the route takes. A renamed route or a
 * changed body breaks the add-in's type check here, not at run time.
 */
import type { paths } from './openapi-types';

export type ApiMethod = 'get' | 'post' | 'put' | 'patch';

/** The path templates with an operation for the method. */
export type PathFor<M extends ApiMethod> = { [P in keyof paths]: paths[P][M] extends object ? P : never }[keyof paths];

type OperationOf<P extends keyof paths, M extends ApiMethod> = Extract<paths[P][M], object>;
type ParametersOf<P extends keyof paths, M extends ApiMethod> = OperationOf<P, M> extends { parameters: infer X } ? X : never;

/** The path and query parameters, as the document declares them (`path` required when the template has any). */
export type UrlParams<P extends keyof paths, M extends ApiMethod> = {
  [K in keyof ParametersOf<P, M> as K extends 'path' | 'query' ? K : never]: ParametersOf<P, M>[K];
};

/** The JSON body the operation takes; never when it takes none. */
export type RequestBody<P extends keyof paths, M extends ApiMethod> =
  OperationOf<P, M> extends { requestBody?: never }
    ? never
    : OperationOf<P, M> extends { requestBody?: { content: { 'application/json': infer B } } }
      ? B
      : never;

/** The JSON body of the operation's 200 or 201 answer. */
export type ResponseBody<P extends keyof paths, M extends ApiMethod> =
  OperationOf<P, M> extends { responses: { 200: { content: { 'application/json': infer B } } } }
    ? B
    : OperationOf<P, M> extends { responses: { 201: { content: { 'application/json': infer B } } } }
      ? B
      : never;

declare const contract: unique symbol;

/** A URL built from a documented route; it remembers the method and the body type the route takes. */
export type ContractUrl<M extends ApiMethod, Body> = string & { readonly [contract]: { method: M; body: Body } };

type Scalar = string | number | boolean;

/** `contractUrl('get', '/bids/{id}', { path: { id } })` → `/bids/FS-000001`. */
export function contractUrl<M extends ApiMethod, P extends PathFor<M>>(
  _method: M,
  template: P,
  ...[params]: object extends UrlParams<P, M> ? [params?: UrlParams<P, M>] : [params: UrlParams<P, M>]
): ContractUrl<M, RequestBody<P, M>> {
  const { path, query } = (params ?? {}) as { path?: Record<string, Scalar>; query?: Record<string, Scalar | undefined> };
  const filled = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = path?.[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${template}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) search.set(name, String(value));
  const text = search.toString();
  return (text === '' ? filled : `${filled}?${text}`) as ContractUrl<M, RequestBody<P, M>>;
}
