import type { FastifyReply } from 'fastify';

/**
 * OneRoster's imsx_StatusInfo error body. codeMinor values from the spec:
 * invalid_filter_field, invalid_selection_field, invaliddata,
 * unauthorisedrequest, forbidden, server_busy, unknownobject,
 * internal_server_error.
 */
export type CodeMinor =
  | 'fullsuccess'
  | 'invalid_filter_field'
  | 'invalid_selection_field'
  | 'invaliddata'
  | 'unauthorisedrequest'
  | 'forbidden'
  | 'server_busy'
  | 'unknownobject'
  | 'internal_server_error';

export function statusInfo(codeMinor: CodeMinor, description: string, codeMajor = 'failure', severity = 'error'): Record<string, unknown> {
  return {
    imsx_codeMajor: codeMajor,
    imsx_severity: severity,
    imsx_description: description,
    imsx_CodeMinor: {
      imsx_codeMinorField: [{ imsx_codeMinorFieldName: 'TargetEndSystem', imsx_codeMinorFieldValue: codeMinor }],
    },
  };
}

export function sendImsx(reply: FastifyReply, status: number, codeMinor: CodeMinor, description: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(statusInfo(codeMinor, description));
}
